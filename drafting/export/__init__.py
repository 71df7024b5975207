"""Export: the approved report as Markdown (templates), JSON and action items as CSV."""

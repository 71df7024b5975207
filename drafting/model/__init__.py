"""Model access: the OpenAI-compatible client, the embedded llama.cpp server and its weights."""

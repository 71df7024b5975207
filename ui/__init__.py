"""Streamlit page sections for app.py. UI only: every rule and computation lives in drafting/."""

"""Streamlit UI for the postmortem drafting service (UI only; the domain lives in drafting/)."""

import streamlit as st

st.set_page_config(page_title="Postmortem drafting", layout="wide")
st.title("Postmortem drafting")
st.info("The app is being built; see the README.")

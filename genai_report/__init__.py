"""Warehouse code for the ministries generative-AI periodic reports."""

"""The top layer (../shared/DESIGN.md): the leadership team analysis (班子研判, issue 14), later the
work desk, city analysis and auditors' reports. It reads every app through its selectors and
services; nothing imports it."""

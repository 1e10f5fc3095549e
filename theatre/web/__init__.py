"""The web layer: views (pages), forms, the JSON API and the HTTP helpers they share (range
requests, the shared page's cache). Thin: each view gets rows through services.access, validates
with a form, calls a domain function in services/, and answers."""

"""Static teaching site and case-quiz generator for the NCI PDQ® CML treatment summary.

Data flows one way: content/*.yml is loaded and validated (content), the clinical logic is
computed from it (rules), and pages are rendered to Markdown (render) for MkDocs to publish.
"""

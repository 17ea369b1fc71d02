"""Python client of the ml-workflow API.

``models`` is generated from the OpenAPI document; never edit it by hand.
"""

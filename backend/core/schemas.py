"""The base of every API model."""

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    # Fields with defaults are always present in answers, so the OpenAPI
    # document marks them required on the output side and generated clients
    # need no optional checks for them.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

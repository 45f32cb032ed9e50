"""The ontology: OWL + SHACL in Turtle, compiled once into the schema everything derives from."""

from ontology.schema import Schema, load_schema

__all__ = ["Schema", "load_schema"]

"""The assessment's services: who may reach a visit, its photos, recording and reading the assessment."""

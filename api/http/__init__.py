"""The HTTP face: `create_app()` (app.py), settings, problem-object errors, response models, routers."""

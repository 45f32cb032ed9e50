"""Named queries over the store protocol: resolution, restrictions, routes and their views."""

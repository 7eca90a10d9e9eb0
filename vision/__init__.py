"""Image models: open_clip loading from local weights, image validation, photo analysis."""

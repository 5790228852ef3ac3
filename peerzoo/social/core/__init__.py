"""The social gridworlds' machinery: codes, layouts, line of sight, jitted kernels, sprites."""

"""Images of events and venues: uploads, processing with Pillow, renditions, and their storage."""

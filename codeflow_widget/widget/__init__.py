"""The notebook front end: the lesson view (anywidget), its state, delta batching and rendering."""

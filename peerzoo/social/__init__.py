"""Social-learning gridworlds: learners and scripted experts share one world."""

"""Registration of the social-learning gridworld ids."""

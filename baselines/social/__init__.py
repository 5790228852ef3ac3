"""Reference social-learning solutions (Ndousse et al., ICML 2021) on the peerzoo gridworlds.

Recurrent PPO with the auxiliary next-observation loss (``ppo``), the same
learner without it, solo PPO, and behaviour cloning of the scripted experts
(``bc``). Modules have one job each: ``config`` (every knob, paper defaults),
``networks`` (the paper's network), ``recurrent_ppo`` (the Tianshou ``PPO``
subclass), ``rollout`` (collection on the parallel env), ``evaluate`` (the
evaluation protocol), ``results`` (the submission format).
"""

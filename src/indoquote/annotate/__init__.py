"""Build gold in Label Studio: tasks with the model's pre-annotations out, reviewed annotations back in.

``label_config`` is the labelling interface, ``tasks`` turns gold or quote records into Label
Studio tasks, ``ingest`` reads a Label Studio JSON export back into quote-level gold and
token-level training data, ``select`` picks the articles worth a person's time and
``agreement`` compares annotators of the same task. ``indoquote annotate`` is
:mod:`indoquote.cli.annotate`.
"""

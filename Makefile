# Shortcuts for the two README commands (the scripts work without make too).
.PHONY: run test setup messages
run:
	scripts/run.sh
test:
	scripts/test.sh
setup:
	scripts/setup.sh test
messages:
	.venv/bin/python scripts/messages.py

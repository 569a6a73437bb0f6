"""What Intercom is: object and request models, the operation table, and contract checks."""

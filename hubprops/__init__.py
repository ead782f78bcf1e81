"""hubprops: HubSpot CRM property definitions as code.

Definitions live in version control; ``hubprops plan`` diffs them against a live portal and saves
a reviewable plan; ``hubprops apply PLAN`` executes exactly that plan and records the result in a
lock file. See DESIGN.md in the shared folder for the data flow and the interface contract.
"""

__version__ = "0.1.0"

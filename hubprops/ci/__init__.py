"""What the GitHub Action (``action.yml`` at the repository root) runs: ``python -m hubprops.ci``.

- ``github``: a small GitHub REST client (httpx; base URL from ``GITHUB_API_URL``): the one
  marked pull-request comment, the plan artifact of a pull request, the drift issue.
- ``steps``: the action's steps (plan a pull request and comment, apply the merged pull
  request's saved plan and commit the lock, report drift in an issue), running the ``hubprops``
  command itself so that CI sees exactly what a terminal sees.
- ``__main__``: the thin shell that reads the Actions environment and calls a step.
"""

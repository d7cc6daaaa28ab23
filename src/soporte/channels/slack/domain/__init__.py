"""Pure rules of the Slack channel: request signing, the Events API envelope, Slack's text."""

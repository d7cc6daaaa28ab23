"""The in-app live chat: the widget a host page embeds, and its conversations as tickets."""

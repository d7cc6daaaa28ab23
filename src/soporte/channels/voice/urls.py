from django.urls import URLPattern, path

from soporte.channels.voice import hooks

app_name = "voice"

urlpatterns: list[URLPattern] = [
    path("hooks/voice", hooks.call, name="call"),
    path("hooks/voice/fallback", hooks.fallback, name="fallback"),
    path("hooks/voice/recording", hooks.recording, name="recording"),
    path("hooks/voice/transcription", hooks.transcription, name="transcription"),
    path("hooks/voice/page-ack", hooks.page_ack, name="page_ack"),
]

"""The emergency phone line (Twilio Voice): ``POST /hooks/voice`` answers a call with TwiML,
opens its ticket (an Enterprise caller's is a P0 at T3 that pages on-call at once) and records
a voice message, which Twilio's callbacks append to the ticket. See docs/channels-voice.md."""

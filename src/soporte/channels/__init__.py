"""Inbound channels: how customers reach the desk (SUPPORT.md "Channels").

One package per channel (``email``, ``chat``…), each turning what its channel delivers into
tickets and messages through ``soporte.tickets.services``, exactly once.
"""

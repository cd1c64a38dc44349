"""SMS delivery of an issued document: the short message, sending it through a gateway from
the outbox, and the gateway's signed delivery reports (``POST /v1/deliveries/callbacks/{name}``).
"""

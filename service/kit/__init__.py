"""Framework glue shared by every domain, with no business knowledge: the database and its
migrations, the one transaction per request or job, request dependencies, the HTTP error handler,
the contract's field types, structured logging and durable file writes."""

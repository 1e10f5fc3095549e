"""The project's configuration: settings, URL routes, the ASGI/WSGI entry points and the
site-wide plumbing they name (middleware, storage, upload handler, the process launcher)."""

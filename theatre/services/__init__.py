"""The product's domain functions: who may see what (access), avatars, consent, casting and
swaps, scripts, share links and take-downs, limits. Views, the API, jobs and the admin call these;
none of them parses a request."""

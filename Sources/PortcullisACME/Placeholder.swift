/// The ACME (RFC 8555) client lives here; see the ACME issue.
enum ACMEPlaceholder {}

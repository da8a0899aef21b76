/// The dashboard's one HTML page. Everything else is built by the modules under `/assets/`; there is no
/// inline script or style, so `Content-Security-Policy: default-src 'self'` holds.
enum DashboardIndexHTML {
    static let text = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portcullis</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">Portcullis</span>
  <nav id="nav" aria-label="Main" hidden>
    <a href="#/certificates">Certificates</a>
    <a href="#/add/pem">Add certificate</a>
    <a href="#/orders">Orders</a>
    <a href="#/policies">Policies</a>
    <a href="#/events">Events</a>
    <button type="button" id="signout" class="link">Sign out</button>
  </nav>
</header>
<div id="flash" role="status" aria-live="polite"></div>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<noscript><p>The Portcullis dashboard needs JavaScript.</p></noscript>
</body>
</html>
"""#

    /// A small portcullis gate, so the browser's icon request does not end in a 404.
    static let favicon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4e79"/><path d="M4 3v10M8 3v10M12 3v10M3 6h10M3 10h10" stroke="#fff" stroke-width="1.5"/></svg>
"""#
}

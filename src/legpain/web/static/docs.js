// Starts Swagger UI on /docs from a file, so the page needs no inline script.
// No deep links: they put a link inside each operation's button (nested controls).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false });

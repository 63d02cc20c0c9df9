import httpSecurityHeaders from '@middy/http-security-headers';

/**
 * The one set of security headers every function sends (token, discovery, products): @middy/http-security-headers
 * tuned for a JSON API. Kept: X-Content-Type-Options nosniff (no browser may
 * render a token response as anything else), Referrer-Policy no-referrer, and HSTS without `preload`
 * (preloading is a decision about a whole domain, not about one API). Dropped as meaningless for JSON
 * or empty: Reporting-Endpoints (empty value), X-Download-Options and X-DNS-Prefetch-Control (HTML/IE),
 * Origin-Agent-Cluster (documents only), X-Permitted-Cross-Domain-Policies (Flash), and the powered-by
 * scrubbing, which writes `undefined` header values. The HTML-only headers (CSP, X-Frame-Options, …) are
 * added by the middleware only to text/html responses, which this API never sends.
 */
export function jsonApiSecurityHeaders() {
  // Held in a variable: the package's option types do not list reportingEndpoints, which it does honour.
  const options = {
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false, preload: false },
    reportingEndpoints: false,
    downloadOptions: false,
    dnsPrefetchControl: false,
    originAgentCluster: false,
    permittedCrossDomainPolicies: false,
    poweredBy: false,
  };
  return httpSecurityHeaders(options);
}

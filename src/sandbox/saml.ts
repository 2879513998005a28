// Just enough SAML 2.0 for the round trip PagerDuty -> IdP -> PagerDuty. Messages look like real ones
// (HTTP-Redirect AuthnRequest: deflate + base64; HTTP-POST Response: base64 XML), but the "signature" is an
// HMAC-SHA256 over the assertion with a per-run key shared by the emulations, not XML-DSig.
import { createHmac, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { escapeHtml, safeEqual } from './core.js';

export interface AuthnRequest {
  id: string;
  issuer: string;
  acs: string;
}

export function newRequestId(): string {
  return `_${randomUUID().replace(/-/g, '')}`;
}

export function encodeAuthnRequest(request: AuthnRequest): string {
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="${request.id}" Version="2.0" IssueInstant="${new Date().toISOString()}" ` +
    `AssertionConsumerServiceURL="${escapeHtml(request.acs)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${escapeHtml(request.issuer)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`;
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

export function decodeAuthnRequest(encoded: string): AuthnRequest | null {
  try {
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const id = /\bID="([^"]+)"/.exec(xml)?.[1];
    const acs = /\bAssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
    const issuer = /<saml:Issuer>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
    if (!id || !acs || !issuer) return null;
    return { id, acs: acs.replace(/&amp;/g, '&'), issuer: issuer.replace(/&amp;/g, '&') };
  } catch {
    return null;
  }
}

export interface AssertionInput {
  key: Buffer;
  issuer: string;
  inResponseTo: string;
  destination: string;
  audience: string;
  nameId: string;
}

export function encodeResponse(input: AssertionInput): string {
  const now = new Date();
  const notOnOrAfter = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newRequestId()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>${escapeHtml(input.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeHtml(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${input.inResponseTo}" NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeHtml(input.destination)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escapeHtml(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `</saml:Assertion>`;
  const signature = createHmac('sha256', input.key).update(assertion).digest('base64');
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${newRequestId()}" Version="2.0" IssueInstant="${now.toISOString()}" ` +
    `Destination="${escapeHtml(input.destination)}" InResponseTo="${input.inResponseTo}">` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${escapeHtml(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>${signature}</ds:SignatureValue></ds:Signature>` +
    `</samlp:Response>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}

export interface VerifiedResponse {
  assertionId: string;
  inResponseTo: string;
  destination: string;
  audience: string;
  nameId: string;
  notOnOrAfter: number;
}

export function verifyResponse(encoded: string, key: Buffer): VerifiedResponse | null {
  let xml: string;
  try {
    xml = Buffer.from(encoded, 'base64').toString('utf8');
  } catch {
    return null;
  }
  const assertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(xml)?.[0];
  const signature = /<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/.exec(xml)?.[1];
  if (!assertion || !signature) return null;
  const expected = createHmac('sha256', key).update(assertion).digest('base64');
  if (!safeEqual(expected, signature)) return null;
  if (!/StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/.test(xml)) return null;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const assertionId = /<saml:Assertion [^>]*\bID="([^"]+)"/.exec(assertion)?.[1];
  const inResponseTo = /InResponseTo="([^"]+)"/.exec(assertion)?.[1];
  const destination = /Recipient="([^"]+)"/.exec(assertion)?.[1];
  const audience = /<saml:Audience>([^<]+)<\/saml:Audience>/.exec(assertion)?.[1];
  const nameId = /<saml:NameID[^>]*>([^<]+)<\/saml:NameID>/.exec(assertion)?.[1];
  const notOnOrAfter = /<saml:Conditions [^>]*NotOnOrAfter="([^"]+)"/.exec(assertion)?.[1];
  if (!assertionId || !inResponseTo || !destination || !audience || !nameId || !notOnOrAfter) return null;
  return {
    assertionId, inResponseTo, destination: unescape(destination), audience: unescape(audience), nameId: unescape(nameId),
    notOnOrAfter: Date.parse(notOnOrAfter),
  };
}

/** The HTTP-POST binding page both IdPs answer with: a form that submits itself. */
export function autoPostPage(options: { title: string; formId: string; acs: string; samlResponse: string; relayState: string | null }): string {
  const relay = options.relayState === null ? '' : `<input type="hidden" name="RelayState" value="${escapeHtml(options.relayState)}"/>`;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title></head>
<body>
<form id="${options.formId}" name="hiddenform" method="POST" action="${escapeHtml(options.acs)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(options.samlResponse)}"/>${relay}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"/></noscript>
</form>
<script>window.setTimeout(function () { document.forms[0].submit(); }, 0);</script>
</body></html>`;
}

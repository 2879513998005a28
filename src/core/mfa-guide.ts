// Where the 2FA secret comes from, per IdP: one short line for the wizard's question and the steps behind its
// "more". The same text is printed by `pagerduty add --help` and copied in the README (a test keeps them equal).
// Which of these steps are confirmed, and from where, is in docs/mfa-enrollment.md. No I/O here.

export type MfaIdp = 'okta' | 'azure';

export interface MfaGuide {
  /** One line, shown with the wizard's 2FA question. */
  short: string;
  /** The steps behind "more". */
  steps: string[];
}

export const MFA_GUIDES: Record<MfaIdp, MfaGuide> = {
  okta: {
    short: 'Okta: enroll Google Authenticator for the Account Owner\'s Okta user and open "Can\'t scan?" to see the key.',
    steps: [
      'An Okta admin enables Google Authenticator as an authenticator (Security > Authenticators) for the Account Owner\'s Okta user.',
      'Sign in to Okta as that user; at "Set up security methods" (or in Settings > Security Methods) choose Google Authenticator > Set up.',
      'Under the QR code, click "Can\'t scan?": the secret key is shown. Copy it, or save a screenshot of the QR code.',
      'Give the key (or the screenshot\'s path) here. sspm-onboard then shows the current code: type it in Okta to finish enrolling.',
    ],
  },
  azure: {
    short:
      'Entra: an admin allows software OATH tokens in the Authentication methods policy; then in the user\'s Security info add an Authenticator app, choose a different authenticator app, and open "Can\'t scan image?".',
    steps: [
      'An admin enables "Third-party software OATH tokens" in the Entra admin center (Authentication methods > Policies) for the Account Owner\'s Entra user.',
      'Sign in as that user at https://mysignins.microsoft.com/security-info: Add sign-in method > Authenticator app > "I want to use a different authenticator app".',
      'At the QR code, click "Can\'t scan image?": the account name and the secret key are shown. Copy the key, or save a screenshot of the QR code.',
      'Give the key (or the screenshot\'s path) here. sspm-onboard then shows the current code: type it in Entra to finish the registration.',
    ],
  },
};

/** The guide as plain lines: a title per IdP and numbered steps (for --help, the README and the wizard's "more"). */
export function mfaGuideLines(idp: MfaIdp): string[] {
  const guide = MFA_GUIDES[idp];
  const title = idp === 'okta' ? 'Okta (Google Authenticator):' : 'Microsoft Entra ID (third-party software OATH token):';
  return [title, ...guide.steps.map((step, index) => `  ${index + 1}. ${step}`)];
}

export const MFA_GUIDE_HELP = ['Where the 2FA secret comes from:', ...mfaGuideLines('okta'), ...mfaGuideLines('azure')].join('\n');

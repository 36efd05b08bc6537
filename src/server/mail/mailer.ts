import nodemailer from 'nodemailer';

export interface MailMessage {
  /** One recipient a message: colleagues do not learn each other's addresses. */
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when no SMTP server is configured: nothing is sent, and the pages that rely on mail say so. */
  readonly enabled: boolean;
  /** Sends one plain-text message; rejects when the SMTP server refused it or could not be reached. */
  send(message: MailMessage): Promise<void>;
}

/** A slow or silent SMTP server must not hold the work that sends the mail for minutes. One connection a message: alerts are rare. */
const TIMEOUT_MS = 10_000;

/**
 * Outgoing mail through the SMTP server at `url` (`smtp://host:port`, `smtps://user:pass@host:465`),
 * from `from`. Without a url the mailer is off: `send` resolves without sending.
 */
export function createMailer({ url, from }: { url: string | null; from: string }): Mailer {
  if (!url) {
    return { enabled: false, send: async () => undefined };
  }
  const transport = nodemailer.createTransport({ url, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS });
  return {
    enabled: true,
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

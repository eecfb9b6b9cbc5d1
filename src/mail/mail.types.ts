export interface MailAddress {
  name?: string;
  address: string;
}

export interface MailAttachment {
  filename: string;
  /** The bytes; or, with `qrCode`, nothing: the image is drawn when the message is sent. */
  content?: string | Buffer;
  /** Text to draw as a QR image (PNG) at send time, so the request that queued the mail does not pay for it. */
  qrCode?: string;
  contentType: string;
  /** Content-ID, for an image the HTML part shows inline (`<img src="cid:...">`). */
  cid?: string;
}

export interface OutgoingMail {
  /** What the message is, e.g. "visit.confirmed": for logs; not sent. */
  kind?: string;
  to: MailAddress;
  subject: string;
  /** The plain-text part; every message has one. */
  text: string;
  html?: string;
  /** A one-click unsubscribe URL (RFC 8058); bulk mail must carry one. */
  unsubscribeUrl?: string;
  attachments?: MailAttachment[];
  /** Language of the message (Content-Language). */
  language?: string;
  /** Set by the caller when it must know the id before sending (ledger); generated otherwise. */
  messageId?: string;
  /**
   * Who caused it. Mail anyone can cause (a booking, a sign-up, a resend) is bounded per recipient
   * (MAIL_RECIPIENT_HOURLY_LIMIT an hour), so nobody can flood an address through the public
   * routes; 'staff' (an organizer's change) is not bounded. Unset counts as public.
   */
  triggeredBy?: 'public' | 'staff';
  /** Extra headers, e.g. X-Entity-Ref-ID. */
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** The server's final reply, e.g. "250 2.0.0 OK". */
  response: string;
  /** Where the development transport wrote the message. */
  file?: string;
}

/** How a failed send should be handled: retried later, or given up on. */
export type MailFailureKind = 'temporary' | 'permanent';

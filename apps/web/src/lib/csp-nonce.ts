/** Request header through which our server hands a page's CSP nonce to the root layout. */
export const NONCE_HEADER = 'x-nonce';

/**
 * First-page inputs that a server page prefetches and its client view then asks for: they must be
 * equal, so they live here, outside any client module (a server component importing a value from
 * a `'use client'` module gets a reference to it, not the value).
 */
export const AUDIT_PAGE_INPUT = { page: 1, limit: 25 };
export const DELIVERY_LOG_INPUT = { page: 1, limit: 20 };

/** The most customers one `POST /api/customers/reassign` hands over; the web app sends more in several calls. */
export const MAX_REASSIGN_BATCH = 500;

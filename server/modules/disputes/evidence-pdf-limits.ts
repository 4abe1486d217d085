// Stripe's evidence limits: each file under 5 MB and the combined evidence under 4.5 MB; card
// networks cap the page count (Mastercard's 19 is the lowest), so the pack stays within both.
// Their own file so the server process can state them without loading pdf-lib (only the PDF
// worker thread renders).
export const MAX_PDF_BYTES = 4_500_000;
export const MAX_PDF_PAGES = 19;

-- Bootstrap keys (SERVICE_API_KEY) showed their first 4 characters, the same for every value an
-- operator derived from one pattern: show the start of the stored SHA-256 instead (no character
-- of the key). Generated keys keep their stored prefix (the key itself is not stored).
UPDATE "api_key" SET "prefix" = 'env:sha256:' || left("hash", 12) WHERE "created_by" = 'system:env';

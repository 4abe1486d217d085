// Imported by both the server and the web client: superjson must know the same custom types on
// both sides or the client never yields data.
import { Decimal } from 'decimal.js';
import superjson from 'superjson';

superjson.registerCustom<Decimal, string>(
  {
    isApplicable: (v): v is Decimal => Decimal.isDecimal(v),
    serialize: (v) => v.toString(),
    deserialize: (v) => new Decimal(v),
  },
  'decimal.js',
);

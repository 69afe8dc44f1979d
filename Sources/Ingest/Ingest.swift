// Parsers of mail, calendar and customer data.

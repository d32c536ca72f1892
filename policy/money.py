"""One way to write an amount, everywhere: "$1,250.00" in US dollars, "1,250.00 EUR"
in any other currency (GIFT-3's $250 line is in dollars)."""

from decimal import Decimal


def money(amount, currency: str = "USD") -> str:
    """GIFT-3, APP-1: an amount as the filer and the decider read it, in one format."""
    value = Decimal(str(amount))
    text = f"{value:,.2f}"
    if (currency or "USD").upper() == "USD":
        return f"-${text[1:]}" if text.startswith("-") else f"${text}"
    return f"{text} {currency.upper()}"

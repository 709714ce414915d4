"""Analytics: sales, events, customers, promo-code, dashboard and funnel reports; exports; mailings."""

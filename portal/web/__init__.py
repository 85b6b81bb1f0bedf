"""The portal's own pages for clients and staff: accounts, dashboard, matter page, staff work queue."""

"""What readers leave on works: kudos, comments, bookmarks, subscriptions, inbox, history, hits."""

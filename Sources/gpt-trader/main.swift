print("gpt-trader")

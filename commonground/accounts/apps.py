from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commonground.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

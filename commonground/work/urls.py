from commonground.work import views

app_name = "work"

urlpatterns = views.urlpatterns
